// Public surface of nemeses/. Filled in as modules land.
export {};
