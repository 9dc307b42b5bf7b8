// Public surface of clusters/. Filled in as modules land.
export {};
