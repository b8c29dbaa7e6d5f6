package io.mmsearch.training.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.recurrent.LSTM;
import ai.djl.training.ParameterStore;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LstmLayerTest {

  /**
   * Hidden sizes for which libtorch 2.7.1's fused CPU LSTM (oneDNN's brgemm avx512_core kernel)
   * returned wrong states on an AVX-512 machine (5, 48, 100), and sizes it got right (32, 64).
   */
  @ParameterizedTest
  @ValueSource(ints = {5, 32, 48, 64, 100})
  void hiddenStatesFollowTheLstmEquationsForEveryHiddenSize(int hidden) {
    int batch = 3;
    int steps = 7;
    int inputs = 11;
    try (NDManager m = NDManager.newBaseManager("PyTorch")) {
      LstmLayer layer = new LstmLayer(hidden);
      layer.initialize(m, DataType.FLOAT32, new Shape(batch, steps, inputs));
      Random random = new Random(hidden);
      float[] x = new float[batch * steps * inputs];
      for (int i = 0; i < x.length; i++) {
        x[i] = (float) random.nextGaussian();
      }
      float[] y =
          layer
              .forward(
                  new ParameterStore(m, false),
                  new NDList(m.create(x, new Shape(batch, steps, inputs))),
                  false)
              .head()
              .toFloatArray();
      for (int b = 0; b < batch; b++) {
        double[][] sequence = new double[steps][inputs];
        for (int t = 0; t < steps; t++) {
          for (int i = 0; i < inputs; i++) {
            sequence[t][i] = x[(b * steps + t) * inputs + i];
          }
        }
        double[][] expected =
            LstmEquations.run(
                sequence,
                values(layer, "l_0_i2h_WEIGHT"),
                values(layer, "l_0_h2h_WEIGHT"),
                values(layer, "l_0_i2h_BIAS"),
                values(layer, "l_0_h2h_BIAS"),
                hidden);
        for (int t = 0; t < steps; t++) {
          for (int k = 0; k < hidden; k++) {
            assertEquals(
                expected[t][k],
                y[(b * steps + t) * hidden + k],
                1e-5,
                "hidden " + hidden + ", row " + b + ", step " + t + ", unit " + k);
          }
        }
      }
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {8, 48})
  void loadsTheParametersOfACheckpointWrittenWithDjlsLstm(int hidden) throws Exception {
    try (NDManager m = NDManager.newBaseManager("PyTorch")) {
      Shape input = new Shape(2, 4, 6);
      LSTM djl =
          LSTM.builder()
              .setStateSize(hidden)
              .setNumLayers(1)
              .optBatchFirst(true)
              .optHasBiases(true)
              .build();
      djl.initialize(m, DataType.FLOAT32, input);
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      djl.saveParameters(new DataOutputStream(bytes));

      LstmLayer layer = new LstmLayer(hidden);
      layer.initialize(m, DataType.FLOAT32, input);
      layer.loadParameters(m, new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
      for (String name : djl.getDirectParameters().keys()) {
        NDArray expected = djl.getDirectParameters().get(name).getArray();
        assertArrayEquals(expected.toFloatArray(), values(layer, name), name);
      }
    }
  }

  static float[] values(LstmLayer layer, String name) {
    return layer.getDirectParameters().get(name).getArray().toFloatArray();
  }
}
