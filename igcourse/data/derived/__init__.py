"""Offline datasets derived from Fashion-MNIST with OpenCV, so every chapter runs with no download.

How each is made is written down in datasets/README.md; every builder is deterministic
(the same arguments give the same bytes).
"""

from igcourse.data.derived.edges2shoes import FOOTWEAR, EdgesToShoes, build_edges2shoes
from igcourse.data.derived.export import write_label_maps, write_paired, write_unpaired
from igcourse.data.derived.segmentation import LABEL_PALETTE, SpadeMaps, build_label_maps
from igcourse.data.derived.translation import TRANSLATION_PAIRS, Unpaired, build_unpaired

__all__ = [
    "FOOTWEAR",
    "LABEL_PALETTE",
    "TRANSLATION_PAIRS",
    "EdgesToShoes",
    "SpadeMaps",
    "Unpaired",
    "build_edges2shoes",
    "build_label_maps",
    "build_unpaired",
    "write_label_maps",
    "write_paired",
    "write_unpaired",
]
