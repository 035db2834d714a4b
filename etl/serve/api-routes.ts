// Every /api/ endpoint the server answers (api.ts). One file per endpoint;
// add a new one to this list.

import type { ApiRoute } from './api.ts';
import { customerReportByAccount, customerReportByKey } from './customer-report-route.ts';
import { targetListRoute } from './target-list-route.ts';

export const API_ROUTES: readonly ApiRoute[] = [
  targetListRoute,
  customerReportByKey,
  customerReportByAccount,
];
