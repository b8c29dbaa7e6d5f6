// Computes the reference outputs of nsfwjs's MobileNetV2 with TensorFlow.js itself, once, for the
// converter's parity test (TfjsParityTest). Not part of the build: run it by hand when the fixture
// must change, in a throwaway folder outside the repository:
//
//   cd "$(mktemp -d)" && npm init -y && npm install @tensorflow/tfjs@4.22.0
//   npm pack nsfwjs@4.4.0 && tar xzf nsfwjs-4.4.0.tgz
//   NODE_PATH=$PWD/node_modules node <repo>/backbone-converter/src/test/node/tfjs-reference.cjs \
//     package/dist/models/mobilenet_v2 > <repo>/backbone-converter/src/test/resources/tfjs-reference.json
//
// Inputs are synthetic images made by integer arithmetic that SyntheticImages.java repeats exactly.
// Pooling of the intermediate layers is computed here with plain tf ops: global mean, and a 2x2 grid
// of means whose cells span rows [floor(i*H/2), ceil((i+1)*H/2)) (PyTorch's adaptive pooling).
const path = require('path');
const tf = require('@tensorflow/tfjs');

const modelDir = path.resolve(process.argv[2]);
const model = require(path.join(modelDir, 'model.min.js'));
const shard = require(path.join(modelDir, 'group1-shard1of1.min.js'));

function mix(v) {
  v ^= v >>> 16; v = Math.imul(v, 0x7feb352d);
  v ^= v >>> 15; v = Math.imul(v, 0x846ca68b);
  v ^= v >>> 16;
  return v;
}

// NHWC float32 batch of the given synthetic image numbers (SyntheticImages.pixel).
function images(numbers, size) {
  const data = new Float32Array(numbers.length * size * size * 3);
  let i = 0;
  for (const n of numbers) {
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) {
        for (let c = 0; c < 3; c++) {
          const noise = mix(n * 131 + (y >> 3) * 8191 + (x >> 3) * 127 + c * 524287) & 63;
          const v = (x * 5 + y * 3 + c * 85 + n * 50 + noise) & 255;
          data[i++] = v / 127.5 - 1;
        }
      }
    }
  }
  return tf.tensor4d(data, [numbers.length, size, size, 3]);
}

function gridMean(t, grid) {
  const [n, h, w, c] = t.shape;
  const cells = [];
  for (let i = 0; i < grid; i++) {
    for (let j = 0; j < grid; j++) {
      const y0 = Math.floor((i * h) / grid), y1 = Math.ceil(((i + 1) * h) / grid);
      const x0 = Math.floor((j * w) / grid), x1 = Math.ceil(((j + 1) * w) / grid);
      cells.push(tf.mean(tf.slice(t, [0, y0, x0, 0], [n, y1 - y0, x1 - x0, c]), [1, 2]));
    }
  }
  return tf.reshape(tf.stack(cells, 2), [n, c * grid * grid]); // channel-major: c0q0 c0q1 ...
}

function round(rows) {
  return rows.map((r) => Array.from(r, (v) => Number(v.toPrecision(7))));
}

// strict: false lets the cut graph ignore the weights of the layers it no longer has.
async function load(topology, strict) {
  const weightData = new Uint8Array(Buffer.from(shard, 'base64')).buffer;
  return tf.loadLayersModel(
      tf.io.fromMemory({modelTopology: topology, weightSpecs: model.weightsManifest[0].weights, weightData}),
      {strict});
}

// The graph as shipped (224 px, classifier head), and the same layers cut after out_relu with
// another input size (what the converter's dynamic-size graph computes).
function resized(size) {
  const t = JSON.parse(JSON.stringify(model.modelTopology));
  const cfg = t.model_config.config;
  const last = cfg.layers.findIndex((l) => l.name === 'out_relu');
  cfg.layers = cfg.layers.slice(0, last + 1);
  cfg.layers[0].config.batch_input_shape = [null, size, size, 3];
  cfg.output_layers = [['out_relu', 0, 0]];
  return t;
}

const TAPS = [
  ['Conv1_relu', 1], ['block_2_add', 1], ['block_5_add', 1], ['block_10_project_BN', 1],
  ['block_11_expand_relu', 2], ['block_13_expand_relu', 2], ['block_16_expand_relu', 1],
  ['out_relu', 1],
];

async function run(topology, size, numbers, withHead) {
  const m = await load(topology, withHead);
  const names = TAPS.map(([layer]) => layer);
  const outputs = names.map((n) => m.getLayer(n).output);
  if (withHead) outputs.push(m.getLayer('dense_3').output);
  const sub = tf.model({inputs: m.inputs, outputs});
  const results = sub.predict(images(numbers, size));
  const out = {};
  TAPS.forEach(([layer, grid], k) => {
    const pooled = grid === 1 ? tf.mean(results[k], [1, 2]) : gridMean(results[k], grid);
    out[layer + (grid === 1 ? ':global' : ':2x2')] = round(pooled.arraySync());
  });
  if (withHead) out['dense_3'] = round(results[TAPS.length].arraySync());
  return {size, images: numbers, outputs: out};
}

(async () => {
  await tf.setBackend('cpu');
  const cases = [
    await run(model.modelTopology, 224, [0], true),
    await run(resized(128), 128, [1, 2], false),
  ];
  const fixture = {
    package: 'nsfwjs@4.4.0', model: 'dist/models/mobilenet_v2',
    computed_with: '@tensorflow/tfjs@' + tf.version.tfjs + ' backend ' + tf.getBackend(),
    script: 'backbone-converter/src/test/node/tfjs-reference.cjs', cases,
  };
  process.stdout.write(JSON.stringify(fixture) + '\n');
})();
