// Every /api/ endpoint the server answers (api.ts). One file per endpoint;
// add a new one to this list.

import type { ApiRoute } from './api.ts';

export const API_ROUTES: readonly ApiRoute[] = [];
