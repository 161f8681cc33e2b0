/** JMH benchmarks, one class per question; results go to bench/results/. */
package org.edgeq.bench;
