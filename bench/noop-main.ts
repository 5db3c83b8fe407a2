/*
 * An empty program: the benchmark times it to tell what starting Node.js costs on this machine apart from
 * what loading keyward costs (`keyward --version`), when reading the end-to-end latencies.
 */
export {};
