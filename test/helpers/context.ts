// What each project's globalSetup hands to the tests (vitest provide/inject).

export interface TestDatabaseInfo {
  /** The fresh, migrated database of this test run. */
  url: string;
  /** Superuser URL of the server's maintenance database, to create scratch databases. */
  adminUrl: string;
  /** Name of the run's database; scratch databases share it as a prefix. */
  name: string;
  /** Which project: the PostgreSQL service (15) or the embedded server (18). */
  server: 'service' | 'embedded';
}

declare module 'vitest' {
  export interface ProvidedContext {
    gridlensTestDatabase: TestDatabaseInfo;
  }
}
