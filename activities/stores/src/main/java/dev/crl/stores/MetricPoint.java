package dev.crl.stores;

/**
 * One logged value of one metric.
 *
 * @param step the training iteration (or another monotone counter) the value belongs to
 * @param value the value; NaN and infinities are kept, not dropped
 * @param timestampMillis wall-clock time the value was written, in epoch milliseconds
 */
public record MetricPoint(long step, double value, long timestampMillis) {}
