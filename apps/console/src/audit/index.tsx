import { Route } from 'react-router-dom';
import { AuditLogPage } from './AuditLogPage';

/** Where the audit log lives. */
export const AUDIT_PATH = '/audit';

/** The audit log's route, inside the layout. */
export const auditRoute = <Route path={AUDIT_PATH} element={<AuditLogPage />} />;
