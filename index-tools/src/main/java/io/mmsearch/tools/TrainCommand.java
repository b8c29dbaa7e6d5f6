package io.mmsearch.tools;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.mmsearch.training.BundleTraining;
import io.mmsearch.training.data.BackboneFeatures;
import io.mmsearch.training.data.BackboneImageFeatures;
import io.mmsearch.training.data.DatasetSplit.SplitBy;
import io.mmsearch.training.data.ImageFeatureCache;
import io.mmsearch.training.export.ExportParityException;
import io.mmsearch.training.loop.EpochMetrics;
import io.mmsearch.training.loop.TrainingConfig;
import io.mmsearch.training.loop.TrainingDataException;
import io.mmsearch.training.model.ImageTowerKind;
import io.mmsearch.training.model.TextTowerKind;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code mmsearch train}: trains the CLIP-style dual encoder on a manifest or a folder-per-class
 * dataset and exports a model bundle that passed the ONNX parity check.
 *
 * <p>Exit codes: 0 bundle written; 2 bad input (no usable data, unreadable config, checkpoint of
 * another architecture, parity failure); 1 an unexpected failure.
 */
@Command(
    name = "train",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Train a dual encoder with DJL on PyTorch (image tower: an MLP head on the frozen MobileNetV2"
          + " backbone, or a small CNN from scratch; text tower: a projection head on the frozen"
          + " all-MiniLM-L6-v2 backbone, or a BiLSTM from scratch; symmetric InfoNCE) and export it"
          + " as a model bundle in OUT/bundle.",
      "OUT also receives checkpoints/{last,best}, metrics.json and curves.png.",
      "Options on the command line override those of --config."
    })
public final class TrainCommand implements Callable<Integer> {

  @Option(
      names = "--data",
      required = true,
      paramLabel = "PATH",
      description =
          "A JSONL/CSV manifest (id, image, caption string or list, class), or a folder with one"
              + " sub-folder of images per class and descriptions.tsv (class<TAB>description)."
              + " Repeat it to train on several datasets as one (ids must be unique across them).")
  List<Path> data;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output directory.")
  Path out;

  @Option(
      names = "--config",
      paramLabel = "FILE",
      description = "JSON file of training options (keys as in metrics.json's \"config\").")
  Path configFile;

  @Option(names = "--epochs", paramLabel = "N", description = "Epochs (default 30).")
  Integer epochs;

  @Option(names = "--batch-size", paramLabel = "N", description = "Pairs per step (default 128).")
  Integer batchSize;

  @Option(names = "--lr", paramLabel = "RATE", description = "Peak learning rate (default 2e-3).")
  Float learningRate;

  @Option(names = "--seed", paramLabel = "N", description = "Random seed (default 42).")
  Long seed;

  @Option(
      names = "--patience",
      paramLabel = "N",
      description = "Early stopping after N epochs without a better validation score (default 5).")
  Integer patience;

  @Option(
      names = "--split-by",
      paramLabel = "ID|CONCEPT",
      description = "Hold out items by id, or whole concepts (classes) (default id).")
  SplitBy splitBy;

  @Option(
      names = "--validation-fraction",
      paramLabel = "F",
      description = "Share of items or concepts held out for validation (default 0.1).")
  Double validationFraction;

  @Option(
      names = "--hard-negatives",
      paramLabel = "WEIGHT",
      description = "Weight of the hard-negative margin term (default 0: off).")
  Float hardNegativeWeight;

  @Option(
      names = "--no-augmentation",
      description = "Train on the images as preprocessed, without flips, rotation, crops, jitter.")
  boolean noAugmentation;

  @Option(
      names = "--threads",
      paramLabel = "N",
      description =
          "libtorch intra-op threads (default 0: one per core less one for the batch loader).")
  Integer threads;

  @Option(
      names = "--text-tower",
      paramLabel = "KIND",
      description =
          "BACKBONE_HEAD (a head on frozen all-MiniLM-L6-v2 features, the default), BACKBONE (the"
              + " frozen features as they are: the image tower learns MiniLM's own space) or BILSTM"
              + " (word tokens, trained from scratch).")
  TextTowerKind textTower;

  @Option(
      names = "--image-tower",
      paramLabel = "KIND",
      description =
          "BACKBONE_HEAD (an MLP head on the frozen MobileNetV2 image backbone's features, the"
              + " default) or CNN (a small CNN on pixels, trained from scratch: the tiny model).")
  ImageTowerKind imageTower;

  @Option(
      names = "--image-size",
      paramLabel = "PX",
      description = "Input size of the image backbone (default 128).")
  Integer imageSize;

  @Option(
      names = "--feature-views",
      paramLabel = "N",
      description =
          "Views per training image whose image backbone features are computed and cached: the"
              + " image as preprocessed plus N-1 augmented ones (default 8).")
  Integer featureViews;

  @Option(
      names = "--image-backbone",
      paramLabel = "FILE",
      description =
          "An image backbone graph (pixels [batch,3,H,W] -> features [batch,F], e.g. MobileNetV2"
              + " cut at other taps by backbone-converter) instead of the shipped one.")
  Path imageBackbone;

  @Option(
      names = "--image-taps",
      split = ",",
      paramLabel = "TAP",
      description =
          "Only these taps of --image-backbone (a backbone-converter graph with a tap layout, e.g."
              + " block_16_expand_relu:global); runs on one graph share its feature cache. Such a"
              + " head is not exported.")
  List<String> imageTaps;

  @Option(
      names = "--image-backbone-min-size",
      paramLabel = "PX",
      description = "Smallest image side --image-backbone is fed (default 32).")
  int imageBackboneMinSize = 32;

  @Option(
      names = "--image-feature-cache",
      paramLabel = "DIR",
      description =
          "Where image backbone features (per image and augmented view) are kept between runs"
              + " (default data-cache/image-features).")
  Path imageFeatureCache = Path.of("data-cache", "image-features");

  @Option(
      names = "--feature-cache",
      paramLabel = "DIR",
      description =
          "Where backbone features are kept between runs, one sub-folder per backbone (default"
              + " data-cache/text-features).")
  Path featureCache = Path.of("data-cache", "text-features");

  @Option(names = "--resume", description = "Continue from OUT/checkpoints/last.")
  boolean resume;

  @Option(
      names = "--name",
      paramLabel = "NAME",
      description = "Model name in bundle.json (default: the data file or folder name).")
  String name;

  @Option(
      names = "--no-pytorch-weights",
      description =
          "Do not copy the DJL weights into the bundle (the pytorch engine then can't"
              + " serve it; the ONNX graphs are unaffected).")
  boolean noPyTorchWeights;

  @Option(names = "--no-progress", description = "No progress bar (epoch summaries only).")
  boolean noProgress;

  @Option(names = "--json", description = "Print the result as one JSON object on stdout.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    PrintStream log = new PrintStream(System.err, true, StandardCharsets.UTF_8);
    TrainingConfig config;
    try {
      config = config();
    } catch (IOException | IllegalArgumentException e) {
      log.println("mmsearch train: " + e.getMessage());
      return 2;
    }
    String bundleName = name != null ? name : defaultName(config);
    try (BackboneFeatures backbone =
            config.textTower() != TextTowerKind.BILSTM
                ? BackboneFeatures.miniLm(config.maxTokens())
                : null;
        BackboneImageFeatures imageBackboneFeatures =
            config.imageTower() == ImageTowerKind.BACKBONE_HEAD
                ? (imageBackbone != null
                    ? BackboneImageFeatures.ofGraph(
                        imageBackbone, config.backboneImageSize(), imageBackboneMinSize)
                    : BackboneImageFeatures.mobileNetV2(config.backboneImageSize()))
                : null) {
      ImageFeatureCache imageFeatures =
          imageBackboneFeatures == null
              ? null
              : ImageFeatureCache.open(imageBackboneFeatures, imageFeatureCache);
      BundleTraining.Result result =
          new BundleTraining(
                  config, bundleName, !noPyTorchWeights, backbone, featureCache, imageFeatures)
              .run(data, out, resume, log, !noProgress);
      EpochMetrics best = result.training().best();
      if (result.export() == null) {
        printTrainingOnly(result, best);
        return 0;
      }
      Path bundle = result.export().bundle().directory();
      if (json) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("bundle", bundle.toString());
        line.put("fingerprint", result.export().bundle().fingerprint());
        line.put("epochs", result.training().history().size());
        line.put("best_epoch", best.epoch());
        line.put("train_items", result.training().trainItems());
        line.put("validation_items", result.training().validationItems());
        line.put("skipped", result.training().problems().size());
        if (best.recall() != null) {
          line.put("t2i_recall_at_1", best.recall().textToImage()[0]);
          line.put("i2t_recall_at_1", best.recall().imageToText()[0]);
        }
        line.put("parity_min_cosine", result.export().parity().min());
        System.out.println(new ObjectMapper().writeValueAsString(line));
      } else {
        System.out.printf(
            "bundle %s (fingerprint %s)%nbest epoch %d of %d%s%nparity %s%n",
            bundle,
            result.export().bundle().fingerprint(),
            best.epoch(),
            result.training().history().size(),
            best.recall() == null
                ? ""
                : String.format(
                    ", validation t2i R@1 %.3f, i2t R@1 %.3f",
                    best.recall().textToImage()[0], best.recall().imageToText()[0]),
            result.export().parity());
      }
      return 0;
    } catch (TrainingDataException | ExportParityException e) {
      log.println("mmsearch train: " + e.getMessage());
      return 2;
    } catch (IOException e) {
      log.println("mmsearch train: " + e.getMessage());
      return 2;
    }
  }

  private void printTrainingOnly(BundleTraining.Result result, EpochMetrics best)
      throws IOException {
    if (json) {
      Map<String, Object> line = new LinkedHashMap<>();
      line.put("bundle", null);
      line.put("epochs", result.training().history().size());
      line.put("best_epoch", best.epoch());
      line.put("train_items", result.training().trainItems());
      line.put("validation_items", result.training().validationItems());
      line.put("skipped", result.training().problems().size());
      if (best.recall() != null) {
        line.put("t2i_recall_at_1", best.recall().textToImage()[0]);
        line.put("i2t_recall_at_1", best.recall().imageToText()[0]);
        line.put("mean_recall", best.recall().meanRecall());
      }
      System.out.println(new ObjectMapper().writeValueAsString(line));
    } else {
      System.out.printf(
          "no bundle; best epoch %d of %d, checkpoint %s%n",
          best.epoch(), result.training().history().size(), result.training().bestCheckpoint());
    }
  }

  private TrainingConfig config() throws IOException {
    TrainingConfig.Builder b = TrainingConfig.builder();
    if (configFile != null) {
      b.readJson(configFile);
    }
    TrainingConfig base = b.build();
    if (epochs != null) {
      b.epochs(epochs);
    }
    if (batchSize != null) {
      b.batchSize(batchSize);
    }
    if (learningRate != null) {
      b.learningRate(learningRate);
    }
    if (seed != null) {
      b.seed(seed);
    }
    if (patience != null) {
      b.patience(patience);
    }
    if (splitBy != null || validationFraction != null) {
      b.validation(
          validationFraction != null ? validationFraction : base.validationFraction(),
          splitBy != null ? splitBy : base.splitBy());
    }
    if (hardNegativeWeight != null) {
      b.hardNegatives(hardNegativeWeight, base.hardNegativeCount(), base.hardNegativeMargin());
    }
    if (threads != null) {
      b.torchThreads(threads);
    }
    if (textTower != null) {
      b.textTower(textTower);
    }
    if (imageTower != null) {
      b.imageTower(imageTower);
    }
    if (imageTaps != null) {
      b.imageTaps(imageTaps);
    }
    if (imageSize != null || featureViews != null) {
      b.imageHead(
          imageSize != null ? imageSize : base.backboneImageSize(),
          base.imageHiddenDim(),
          base.imageDropout(),
          featureViews != null ? featureViews : base.featureViews());
    }
    if (noAugmentation) {
      b.augmentation(io.mmsearch.training.data.Augmentation.none());
    }
    return b.build();
  }

  private String defaultName(TrainingConfig config) {
    Path file = data.get(0).toAbsolutePath().normalize().getFileName();
    String n = file == null ? "model" : file.toString();
    int dot = n.lastIndexOf('.');
    return (dot > 0 ? n.substring(0, dot) : n)
        + (config.imageTower() == ImageTowerKind.CNN ? "-cnn" : "-mobilenetv2-head")
        + (config.textTower() == TextTowerKind.BILSTM ? "-bilstm" : "-minilm-head");
  }
}
