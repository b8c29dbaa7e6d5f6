package io.mmsearch.tools.ingest;

import java.nio.file.Path;
import java.util.Map;

/**
 * What one {@code mmsearch index} run did.
 *
 * @param found items found in the inputs (manifest lines and files), including rejected ones
 * @param added documents new to the index
 * @param updated documents replaced because their content hash changed
 * @param unchanged items skipped because the index already holds them with the same content hash
 * @param rejected items that went to the error report
 * @param deleted documents removed by {@code --delete-missing}
 * @param withoutCaptionVector images indexed without a caption vector because their caption could
 *     not be encoded (each in the error report, marked {@code indexed_without}); counted in {@code
 *     added} or {@code updated}
 * @param documents live documents in the index after the run
 * @param seconds wall-clock time of the run
 * @param rejectedPerStage rejected items per stage name
 * @param errorReport the error report file
 * @param stopped whether the run was interrupted before all inputs were processed
 * @param deleteMissingSkipped whether {@code --delete-missing} was asked for but not done, because
 *     the run was interrupted or an input (a missing folder, an unreadable manifest or subfolder)
 *     could not be read through, so absent items may merely be out of reach
 */
public record IndexingSummary(
    long found,
    long added,
    long updated,
    long unchanged,
    long rejected,
    long deleted,
    long withoutCaptionVector,
    long documents,
    double seconds,
    Map<String, Long> rejectedPerStage,
    Path errorReport,
    boolean stopped,
    boolean deleteMissingSkipped) {

  public IndexingSummary {
    rejectedPerStage = Map.copyOf(rejectedPerStage);
  }

  /** Items processed per second (added, updated, unchanged and rejected). */
  public double itemsPerSecond() {
    return seconds <= 0 ? 0 : (added + updated + unchanged + rejected) / seconds;
  }
}
