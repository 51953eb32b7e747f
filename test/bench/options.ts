export interface BenchOptions {
  /** A tenth of the volume: a smoke run. */
  quick: boolean;
  /** PostgreSQL runs only when BENCH_DATABASE_URL or TEST_DATABASE_URL is set. */
  dialects: ('sqlite' | 'postgres')[];
  /** Run the server from dist/ (npm run build) instead of the TypeScript sources through tsx. */
  useDist: boolean;
  /** Write a V8 CPU profile of the server and print where its time went. */
  profile: boolean;
}
