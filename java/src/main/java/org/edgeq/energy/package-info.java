/**
 * Energy measurement: meters behind one interface ({@link org.edgeq.energy.EnergyMeter}), each reading labelled
 * with its source (RAPL counters, NVML, or an estimate from CPU time), and the carbon arithmetic on top.
 */
package org.edgeq.energy;
