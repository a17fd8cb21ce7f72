// Queries of the report routes: their windows.
import { z } from 'zod';
import { id } from './fields';
import { param } from './query';

/** A whole number of days or weeks of a report's window, from 1 to `max`. */
const windowParam = (max: number, what: string) => param().regex(/^\d{1,3}$/, `must be a whole number of ${what} from 1 to ${max}`).transform(Number)
  .refine((n) => n >= 1 && n <= max, `must be a whole number of ${what} from 1 to ${max}`);

/** GET /reports/activity and GET /reports/crls: the window, in days back from today. */
export const reportDaysQuery = z.object({
  days: windowParam(366, 'days').optional().describe('Days back from today, today included (1 to 366; default 30)'),
  communityId: id.optional().describe('Only this community (one of the caller\'s)'),
}).strict();
export type ReportDaysQuery = z.infer<typeof reportDaysQuery>;

/** GET /reports/expiring: the window, in weeks ahead from now. */
export const reportWeeksQuery = z.object({
  weeks: windowParam(52, 'weeks').optional().describe('Weeks ahead from now (1 to 52; default 12)'),
  communityId: id.optional().describe('Only this community (one of the caller\'s)'),
}).strict();
export type ReportWeeksQuery = z.infer<typeof reportWeeksQuery>;
