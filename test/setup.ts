/** Test setup: property tests run with a fixed seed, so a CI run is reproducible. */
import fc from 'fast-check';

fc.configureGlobal({ seed: 20261122, numRuns: 100 });
