/**
 * How running work shows its progress: per-batch bars for training epochs and per-cell bars for studies on a terminal,
 * timestamped lines elsewhere. Depends on {@code train} (epoch listener) and {@code study} (study listener) only
 * through their listener interfaces; the bars are me.tongfei:progressbar's renderings.
 */
package org.edgeq.progress;
