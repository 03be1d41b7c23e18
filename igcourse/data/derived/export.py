"""Write derived datasets to disk in the real datasets' layouts, so the same loaders read them."""

from pathlib import Path

import numpy as np

from igcourse.data.images import write_image


def write_paired(folder, inputs, targets, split="train"):
    """pix2pix layout: folder/<split>/<i>_AB.png with input | target side by side."""
    out = Path(folder) / split
    for i, (a, b) in enumerate(zip(inputs, targets, strict=True)):
        write_image(out / f"{i + 1}_AB.png", np.concatenate([a, b], axis=1))
    return out


def write_unpaired(folder, a, b, split="train"):
    """CycleGAN layout: folder/<split>A/<i>.png and folder/<split>B/<i>.png."""
    for domain, images in (("A", a), ("B", b)):
        for i, image in enumerate(images):
            write_image(Path(folder) / f"{split}{domain}" / f"{i + 1}.png", image)
    return Path(folder)


def write_label_maps(folder, images, labels, colours):
    """The book's GauGAN layout: fm_0001.jpg photo, .png colour map, .bmp label indices."""
    folder = Path(folder)
    for i, (image, label, colour) in enumerate(zip(images, labels, colours, strict=True)):
        stem = folder / f"fm_{i + 1:05d}"
        write_image(stem.with_suffix(".jpg"), image)
        write_image(stem.with_suffix(".png"), colour)
        write_image(stem.with_suffix(".bmp"), label)
    return folder
