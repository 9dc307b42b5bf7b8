// Public surface of workloads/. Filled in as modules land.
export {};
