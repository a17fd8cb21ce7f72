import { Route } from 'react-router-dom';
import { TestKitPage } from './TestKitPage';

/** A community's test certificates page, inside the layout. */
export const testKitRoute = <Route path="/communities/:id/test-kit" element={<TestKitPage />} />;
