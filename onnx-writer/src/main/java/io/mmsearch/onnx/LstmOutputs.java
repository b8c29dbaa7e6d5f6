package io.mmsearch.onnx;

/**
 * Tensor names of the three outputs of an ONNX LSTM node (layout 0).
 *
 * @param sequence {@code Y}: hidden state of every step, shape {@code [T, num_directions, N, H]};
 *     steps past a sequence's length are zero
 * @param lastHidden {@code Y_h}: hidden state after each sequence's last valid step, shape {@code
 *     [num_directions, N, H]} (the reverse direction ends at step 0)
 * @param lastCell {@code Y_c}: cell state matching {@code lastHidden}
 */
public record LstmOutputs(String sequence, String lastHidden, String lastCell) {}
