"""Configuration of the course: read by nbgrader (through nbgrader_config.py) and by igcourse.

Every setting is a traitlets option with help text in igcourse/config.py
(run `igcourse config --help-all` to list them). A wrong value stops every command with
an error that names the setting.
"""

c = get_config()  # noqa: F821 (traitlets defines get_config when it loads this file)

# ---------------------------------------------------------------- nbgrader
c.CourseDirectory.course_id = "hands-on-image-generation"
c.CourseDirectory.source_directory = "source"
c.CourseDirectory.release_directory = "release"
c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\nraise NotImplementedError()"}
c.ClearSolutions.text_stub = "YOUR ANSWER HERE"

# ---------------------------------------------------------------- the course
# chapter -> notebook -> part (the nbgrader grade_id of its solution cell) -> points.
c.Course.chapters = {
    "ch01_pixelcnn": {
        "pixel_probabilities": {
            "quantize": 1,
            "pixel_model": 3,
            "pixel_sampling": 2,
            "pixel_bits_per_dim": 2,
            "mix_pixels": 1,
        },
        "pixelcnn": {
            "causal_mask": 3,
            "masked_conv": 3,
            "residual_block": 2,
            "pixelcnn_model": 2,
            "bits_per_dim": 3,
            "sampling": 3,
            "train_step": 2,
            "trained_model": 2,  # handed in: graded from the saved model (2 points added)
        },
    },
    "ch02_vae": {
        "autoencoder": {
            "encoder": 2,
            "decoder": 2,
            "autoencoder": 1,
            "latent_grid": 2,
        },
        "vae": {
            "sampling_layer": 3,
            "kl_divergence": 3,
            "vae_networks": 2,
            "vae_loss": 2,
            "train_step": 3,
            "generation": 2,
            "trained_vae": 2,  # handed in: graded from the saved model (2 points added)
        },
        "latent_editing": {
            "encode_means": 2,
            "latent_statistics": 1,
            "attribute_vectors": 3,
            "latent_arithmetic": 2,
            "sample_from_statistics": 2,
        },
    },
    "ch03_gan": {
        "dcgan": {
            "discriminator_loss": 2,
            "generator_loss": 2,
            "dcgan_models": 3,
            "train_steps": 3,
            "trained_generator": 2,
        },
        "mode_collapse": {
            "mixture_sampling": 2,
            "mode_coverage": 2,
        },
        "wgan": {
            "wasserstein_losses": 2,
            "weight_clipping": 2,
            "wgan_train_step": 3,
            "gradient_penalty": 3,
        },
    },
    "ch04_image_translation": {
        "cgan": {
            "conditional_generator": 3,
            "conditional_discriminator": 3,
            "cgan_steps": 3,
            "class_grid": 2,
            "trained_cgan": 2,
        },
        "pix2pix": {
            "unet_blocks": 3,
            "unet": 3,
            "patch_discriminator": 3,
            "pix2pix_losses": 2,
            "random_jitter": 2,
            "pix2pix_step": 3,
            "trained_pix2pix": 2,
        },
        "cyclegan": {
            "resnet_generator": 3,
            "lsgan_losses": 2,
            "cycle_objective": 3,
            "image_pool": 2,
            "cyclegan_steps": 3,
            "trained_cyclegan": 2,
        },
        "bicyclegan": {
            "latent_encoder": 3,
            "latent_injection": 2,
            "bicycle_losses": 2,
            "bicycle_steps": 3,
            "trained_bicyclegan": 2,
        },
    },
    "ch05_style_transfer": {
        "neural_style_transfer": {
            "vgg_preprocess": 2,
            "feature_extractor": 2,
            "gram_matrix": 2,
            "nst_losses": 3,
            "transfer_step": 3,
        },
        "adain": {
            "adain": 2,
            "reflect_conv": 1,
            "adain_decoder": 2,
            "adain_losses": 3,
            "adain_step": 3,
            "trained_adain": 2,  # handed in after training, before inference
            "adain_inference": 2,
        },
    },
    "ch06_ai_painter": {
        "gaugan": {
            "spade": 3,
            "spade_block": 3,
            "gaugan_generator": 2,
            "style_encoder": 2,
            "multiscale_discriminator": 3,
            "gaugan_losses": 3,
            "gaugan_step": 3,
            "trained_gaugan": 2,  # handed in: graded from the saved generator
        },
        "igan": {
            "constraint_losses": 3,
            "projection_step": 3,
            "inverse_encoder": 2,
            "projection": 2,
            "manifold_interpolation": 2,
        },
    },
    "ch07_face_generation": {
        "progan": {
            "pixel_norm": 1,
            "minibatch_std": 2,
            "equalized_layers": 3,
            "progan_generator": 3,
            "progan_discriminator": 3,
            "progan_losses": 3,
            "progan_step": 2,
            "trained_progan": 2,  # handed in: graded from the saved generator
        },
        "stylegan": {
            "mapping_network": 3,
            "adain_modulation": 2,
            "noise_injection": 2,
            "style_generator": 3,
            "style_mixing": 2,
            "truncation": 2,
            "stylegan_step": 3,
            "trained_stylegan": 2,  # handed in: graded from the saved networks
        },
    },
}
c.Course.handed_in = {  # parts graded from handed-in files
    "ch01_pixelcnn": ["trained_model"],
    "ch03_gan": ["trained_generator"],
    "ch02_vae": ["trained_vae"],
    "ch04_image_translation": [
        "trained_cgan",
        "trained_pix2pix",
        "trained_cyclegan",
        "trained_bicyclegan",
    ],
    "ch05_style_transfer": ["trained_adain"],
    "ch06_ai_painter": ["trained_gaugan"],
    "ch07_face_generation": ["trained_progan", "trained_stylegan"],
}
c.Course.languages = ["en", "zh"]  # release notebooks, one per language
c.Course.message_language = "en"  # en or zh; IGCOURSE_LANG or --lang override it

# ---------------------------------------------------------------- grading
c.GradingLimits.time_limit_s = 600.0  # one submission, all parts; what was graded is kept
c.GradingLimits.part_time_limit_s = 120.0  # one part's code in the sandbox, all its checks
c.GradingLimits.memory_limit_mb = 4096
c.GradingLimits.output_limit_kb = 256
c.GradingLimits.max_processes = 256  # threads count too: TensorFlow starts several per core

# ---------------------------------------------------------------- sample quality
# Thresholds per chapter; each names the command that produced it in solutions/<chapter>/.
c.Quality.thresholds = {
    "ch01_pixelcnn": {
        # Reference: 0.192 bits/dim on the first 500-1000 test images after 2 epochs on the CPU
        # (solutions/ch01_pixelcnn/RESULTS.md); a quick-mode run reaches about 0.22.
        "pixelcnn_test_bits_per_dim_max": 0.25,
        # Below this a handed-in model is implausibly good: the reference reaches 0.19, the
        # paper 0.150 on binarised MNIST (easier than Fashion-MNIST), and a model whose mask
        # lets each pixel see itself about 0.0001.
        "pixelcnn_test_bits_per_dim_min": 0.1,
    },
    "ch02_vae": {
        # Reference (solutions/ch02_vae/RESULTS.md): the vae notebook with IGCOURSE_QUICK=0
        # (32 filters, 4 epochs on the CPU) hands in 243.6 nats and FD 87.6 on the check's
        # 1,000 test images and 1,000 samples; an IGCOURSE_QUICK=1 run 258.3 and 136.2; an
        # untrained model 542.0 and 356.0 (measured by the hidden check's own probe).
        "vae_test_negative_elbo_max": 280.0,
        "vae_sample_frechet_distance_max": 180.0,
        # Share of 1,000 test images whose decoded mean is nearer the image than 9 other test
        # images: reference 0.98, quick mode 0.95, untrained or not trained together 0.09.
        "vae_reconstruction_own_image_share_min": 0.5,
    },
    "ch03_gan": {
        # The handed-in DCGAN generator, 1000 samples, evaluator space (solutions/ch03_gan/
        # RESULTS.md): an untrained one scores FD about 330, a quick-mode run about 150.
        "dcgan_fd_max": 200.0,
        "dcgan_classes_covered_at_share_min": 0.6,
        "dcgan_copies_max": 0.02,
    },
    "ch04_image_translation": {  # solutions/ch04_image_translation/RESULTS.md
        "cgan_class_consistency_min": 0.3,
        "cgan_fd_max": 200.0,
        "cgan_copies_max": 0.02,
        # pix2pix, on 1,000 test drawings: the mean absolute difference to the real shoes (in
        # [-1, 1]) and the share of translations the evaluator files under the right kind of
        # shoe. Full run (6,000 steps on the CPU) 0.124 and 91%; quick mode (400 steps) 0.229
        # and 56%, which passes (nbgrader's autograde reruns the notebook in quick mode);
        # drawing the mean shoe whatever the input 0.324 and 32%; untrained 0.84 and 0%.
        "pix2pix_test_l1_max": 0.27,
        "pix2pix_class_consistency_min": 0.45,
        # CycleGAN, on 1,000 test sneakers: the share of G_AB's translations the evaluator files
        # under "Ankle boot", and the cycle error mean |a - G_BA(G_AB(a))| in [-1, 1]. Full run
        # (3,000 steps) 88% and 0.062; quick mode (800 steps, what nbgrader's autograde reruns)
        # 90% and 0.080; copying the input 2% and 0; the mean boot whatever the input (and the
        # mean sneaker back) 100% and 0.185; untrained 0% and 0.94.
        "cyclegan_translated_rate_min": 0.5,
        "cyclegan_cycle_error_max": 0.12,
        # BicycleGAN, on 500 test drawings with two random codes each: the mean distance in
        # the evaluator's features between the two shoes of a drawing (diversity), and the
        # share of shoes the evaluator files under the drawing's kind of shoe (fidelity). Quick
        # mode (600 steps) 4.8 to 6.2 and 58% to 77% over four seeds and four answer sets; full
        # run 6.6 and 77%; untrained 3.1 to 3.5 and 0%; the mean shoe 0 and 32%.
        "bicyclegan_diversity_min": 4.0,
        "bicyclegan_fidelity_min": 0.45,
    },
    "ch05_style_transfer": {  # solutions/ch05_style_transfer/RESULTS.md
        # The AdaIN decoder, on 32 held-out 64-pixel content crops, VGG19 with the seeded random
        # weights: the content loss of encoder(decoder(f(c))) against f(c) over the mean square
        # of f(c). Quick mode's 150 steps 0.28 to 0.31 over four grading salts; the recipe on
        # the CPU (64-pixel crops, batch 4, rate 1e-3) 0.21 to 0.32 after 150 steps over four
        # seeds, 0.17 after 600; 2.4 after 50 steps; untrained 65 to 150. (Its style ratio is
        # not graded: with random weights it moves from 0.5 to 1.0 between seeds and a decoder
        # trained without the style loss reaches 0.68, so no bar tells right from wrong.)
        "adain_reconstruction_max": 1.0,
    },
    "ch06_ai_painter": {  # measurements/2026-12-07-ch06/README.md
        # The handed-in GauGAN generator on 300 held-out test label maps (z from N(0, 1), batches
        # of 100): the share of items the evaluator files under the map's class, and the mean IoU
        # of the pixels above -0.5 with the map's item mask. Quick mode (300 steps) 0.73 to 0.81
        # and 0.80 to 0.85 over two training seeds and four grading salts; untrained 0.07 to 0.12
        # and 0.40 to 0.45; the real test items 0.88 to 0.94 and 0.84 (the cut drops the dark
        # parts of dark clothes). The bars sit about halfway. A step without feature matching
        # trains as far in 300 steps (0.69 to 0.78, 0.79 to 0.80): the bars tell a trained
        # generator from an untrained one, not a right step from a wrong one.
        "gaugan_class_consistency_min": 0.45,
        "gaugan_foreground_iou_min": 0.62,
    },
    "ch07_face_generation": {  # solutions/ch07_face_generation/RESULTS.md
        # The handed-in ProGAN generator at 32 x 32, 1,000 items (the border cropped to 28 x 28)
        # in the evaluator's space, four grading salts: quick mode (250 steps a phase) FD 132.8 to
        # 135.0 and 80% to 90% of the classes with at least 2% of the items; untrained (two
        # seeds) FD 218.5 to 285.5 and 10% to 20%. The bars sit about halfway.
        "progan_fd_max": 175.0,
        "progan_classes_covered_at_share_min": 0.5,
        # The handed-in StyleGAN, 1,000 untruncated items measured as ProGAN's, four grading salts:
        # quick mode (800 steps) FD 45.2 to 47.6 and every class with at least 2% of the items;
        # the full run (6,000 steps) 16.2 to 17.7; untrained (two seeds) 189.9 to 202.9 and 20% to
        # 30%. The bars sit about halfway.
        "stylegan_fd_max": 120.0,
        "stylegan_classes_covered_at_share_min": 0.6,
    },
}
