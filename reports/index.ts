// Public surface of reports/. Filled in as modules land.
export {};
