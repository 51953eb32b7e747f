import { ok, type ApiRequest, type ApiRoute } from '../api.js';
import { API_VERSIONS, ORG_ID } from '../org.js';

/** `GET /services/data`: every supported version with its release name (v59.0 was Winter '24). */
export function versionList() {
  return API_VERSIONS.map((version) => {
    const k = Number(version) - 59;
    const season = ['Winter', 'Spring', 'Summer'][((k % 3) + 3) % 3] as string;
    const year = 24 + Math.floor(k / 3);
    return { label: `${season} '${String(year).padStart(2, '0')}`, url: `/services/data/v${version}`, version };
  });
}

/** The version root, `/limits`. */
export const resourceRoutes: ApiRoute[] = [
  {
    pattern: [],
    methods: {
      GET: (req) => {
        const base = `/services/data/v${req.version}`;
        const names = ['sobjects', 'query', 'queryAll', 'composite', 'limits', 'search', 'recent', 'tabs', 'theme', 'tooling', 'process', 'analytics'];
        return ok({ ...Object.fromEntries(names.map((n) => [n, `${base}/${n}`])), identity: `${req.instanceUrl}/id/${ORG_ID}/${req.userId}` });
      },
    },
  },
  { pattern: ['limits'], methods: { GET: (req) => ok(limits(req)) } },
];

function limits(req: ApiRequest) {
  const factor = req.org.ctx.settings().rateLimitFactor;
  const { used, max } = req.org.usage.peek(factor);
  const pair = (max: number, remaining = max) => ({ Max: max, Remaining: remaining });
  return {
    ConcurrentAsyncGetReportInstances: pair(200),
    ConcurrentSyncReportRuns: pair(20),
    DailyApiRequests: pair(max, Math.max(0, max - used)),
    DailyAsyncApexExecutions: pair(250000),
    DailyBulkApiBatches: pair(15000),
    DailyBulkV2QueryFileStorageMB: pair(976562),
    DailyBulkV2QueryJobs: pair(10000),
    DailyStreamingApiEvents: pair(1000000),
    DataStorageMB: pair(1024),
    FileStorageMB: pair(1024),
    HourlyDashboardRefreshes: pair(200),
    HourlyODataCallout: pair(20000),
    HourlyTimeBasedWorkflow: pair(1000),
    MassEmail: pair(5000),
    SingleEmail: pair(5000),
  };
}
