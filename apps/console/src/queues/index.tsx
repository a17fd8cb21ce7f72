import { Route } from 'react-router-dom';
import { QueuesPage } from './QueuesPage';

/** Where the queue page lives. */
export const QUEUES_PATH = '/queues';

/** The queue page's route, inside the layout. */
export const queuesRoute = <Route path={QUEUES_PATH} element={<QueuesPage />} />;
