import type { ApiRoute } from '../api.js';

/** Placeholder until the Composite resource lands. */
export function compositeRoutes(_all: () => ApiRoute[]): ApiRoute[] {
  return [];
}
