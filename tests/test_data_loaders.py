"""Does each loader read a small fixture laid out exactly like the real dataset?

Fixtures are generated into tmp_path: IDX (MNIST), CelebA, pix2pix, CycleGAN, CIFAR-10
pickles, CMP facades label maps in both layouts, a video and an image folder.
"""

import gzip
import pickle

import cv2
import numpy as np
import pytest
from PIL import Image

from igcourse.data import (
    Batches,
    CelebA,
    DatasetNotFound,
    LabelMapFolder,
    PairedFolder,
    UnpairedBatches,
    image_folder,
    load_cifar10,
    load_mnist,
    read_video,
    unpaired_sources,
)
from igcourse.data.catalog import get_entry
from igcourse.data.cifar10 import UnsafePickle
from igcourse.data.images import write_image
from igcourse.data.label_maps import colorize, one_hot

RNG = np.random.default_rng(0)


def write_idx(path, array):
    header = bytes([0, 0, 8, array.ndim]) + b"".join(d.to_bytes(4, "big") for d in array.shape)
    with gzip.open(path, "wb") as f:
        f.write(header + array.astype(np.uint8).tobytes())


def test_mnist_reads_the_gzipped_idx_files_of_the_download(tmp_path):
    images = RNG.integers(0, 256, (6, 28, 28), dtype=np.uint8)
    write_idx(tmp_path / "t10k-images-idx3-ubyte.gz", images)
    write_idx(tmp_path / "t10k-labels-idx1-ubyte.gz", np.arange(6, dtype=np.uint8))
    x, y = load_mnist("test", folder=tmp_path)
    assert np.array_equal(x, images) and y.tolist() == list(range(6))
    with pytest.raises(DatasetNotFound):
        load_mnist("train", folder=tmp_path)


def test_mnist_not_fetched_says_how_to_get_it(tmp_path):
    with pytest.raises(DatasetNotFound, match="igcourse data fetch mnist"):
        load_mnist("train", cache_dir=tmp_path)


ATTRS = ["5_o_Clock_Shadow", "Eyeglasses", "Male", "Smiling"]


@pytest.fixture
def celeba_root(tmp_path):
    """Five faces of 178x218 in CelebA's layout, with 4 of the 40 attributes."""
    (tmp_path / "img_align_celeba").mkdir()
    rows = [[-1, 1, 1, -1], [1, -1, 1, 1], [-1, -1, -1, 1], [-1, 1, -1, -1], [1, 1, 1, 1]]
    lines = [str(len(rows)), " ".join(ATTRS)]
    for i, row in enumerate(rows, 1):
        name = f"{i:06d}.jpg"
        write_image(tmp_path / "img_align_celeba" / name, np.full((218, 178, 3), 40 * i, np.uint8))
        lines.append(name + " " + " ".join(f"{v:2d}" for v in row))  # CelebA pads with spaces
    (tmp_path / "list_attr_celeba.txt").write_text("\n".join(lines) + "\n")
    parts = [0, 0, 1, 2, 2]
    (tmp_path / "list_eval_partition.txt").write_text(
        "".join(f"{i:06d}.jpg {p}\n" for i, p in enumerate(parts, 1))
    )
    return tmp_path


def test_celeba_selects_by_partition_and_attributes(celeba_root):
    celeba = CelebA(celeba_root)
    assert celeba.attribute_names == ATTRS and celeba.attributes.shape == (5, 4)
    assert celeba.select("train").tolist() == [0, 1]
    assert celeba.select("test").tolist() == [3, 4]
    assert celeba.select("all", where={"Male": True, "Eyeglasses": True}).tolist() == [0, 4]
    with pytest.raises(ValueError, match="no CelebA attribute"):
        celeba.select(where={"Beard": True})


def test_celeba_images_are_cropped_resized_and_scaled(celeba_root):
    source = CelebA(celeba_root).source("test", size=(32, 32), crop=(178, 178), value_range=(-1, 1))
    images, attrs = source.take([1, 0])
    assert images.shape == (2, 32, 32, 3) and images.dtype == np.float32
    assert attrs.tolist() == [[1, 1, 1, 1], [0, 1, 0, 0]]  # files 5 and 4
    assert np.allclose(images[0], 200 / 127.5 - 1, atol=0.05)  # 000005.jpg is grey 200


def test_a_folder_that_is_not_celeba_is_explained(tmp_path):
    with pytest.raises(DatasetNotFound, match="igcourse data fetch celeba"):
        CelebA(tmp_path)


def test_pix2pix_pairs_split_side_by_side(tmp_path):
    for i in range(1, 4):  # facades: photo left (dark), label map right (bright)
        pair = np.concatenate(
            [np.full((256, 256, 3), 10 * i, np.uint8), np.full((256, 256, 3), 200, np.uint8)],
            axis=1,
        )
        write_image(tmp_path / "facades" / "train" / f"{i}.jpg", pair)
    paired = PairedFolder(tmp_path / "facades", "train", direction="BtoA", size=(64, 64))
    labels, photos = next(iter(Batches(paired, 2, seed=0)))
    assert labels.shape == photos.shape == (2, 64, 64, 3)
    assert labels.min() > 0.5 and photos.max() < -0.6  # range (-1, 1), the right halves
    with pytest.raises(DatasetNotFound, match="not a pix2pix"):
        PairedFolder(tmp_path / "facades", "test")


def test_cyclegan_domains_are_batched_independently(tmp_path):
    for domain, count, value in (("A", 3, 0), ("B", 5, 255)):
        for i in range(count):
            write_image(
                tmp_path / f"train{domain}" / f"{i}.jpg", np.full((40, 40, 3), value, np.uint8)
            )
    a, b = unpaired_sources(tmp_path, "train", size=(16, 16))
    pairs = UnpairedBatches(a, b, 2, seed=0)
    batches = list(pairs)
    assert len(batches) == 2  # the larger domain sets the epoch: 5 // 2
    for x, y in batches:
        assert x.shape == y.shape == (2, 16, 16, 3)
        assert x.max() < -0.9 and y.min() > 0.9


def write_cifar_batch(path, images, labels):
    """A batch as CIFAR-10 stores it: a protocol-2 pickle of a dict with bytes keys."""
    data = images.transpose(0, 3, 1, 2).reshape(len(images), -1)  # R plane, G plane, B plane
    batch = {
        b"batch_label": b"testing batch",
        b"labels": list(labels),
        b"data": data,
        b"filenames": [f"{i}.png".encode() for i in range(len(images))],
    }
    path.write_bytes(pickle.dumps(batch, protocol=2))


def test_cifar10_batches_decode_to_rgb_images(tmp_path):
    folder = tmp_path / "cifar-10-batches-py"
    folder.mkdir()
    images = RNG.integers(0, 256, (4, 32, 32, 3), dtype=np.uint8)
    images[0, 0, 0] = (255, 0, 0)
    write_cifar_batch(folder / "test_batch", images, [3, 1, 4, 1])
    x, y = load_cifar10("test", folder=tmp_path)
    assert np.array_equal(x, images) and y.tolist() == [3, 1, 4, 1]
    assert x[0, 0, 0].tolist() == [255, 0, 0]
    with pytest.raises(DatasetNotFound, match="data_batch_1"):
        load_cifar10("train", folder=tmp_path)


class _Exploit:
    def __reduce__(self):
        import os

        return (os.getcwd, ())


def test_cifar10_refuses_a_pickle_that_would_run_code(tmp_path):
    folder = tmp_path / "cifar-10-batches-py"
    folder.mkdir()
    (folder / "test_batch").write_bytes(pickle.dumps({b"data": _Exploit(), b"labels": []}))
    with pytest.raises(UnsafePickle, match="posix.getcwd|os.getcwd"):
        load_cifar10("test", folder=tmp_path)


def test_cifar10_is_only_read_from_a_pinned_download():
    spec = get_entry("cifar-10").files[0]
    assert spec.sha256 and spec.extract == "tar"


def facade_labels(i):
    labels = np.ones((48, 32), np.uint8)  # class 1 (background) everywhere
    labels[8:20, 4:28] = 3 + i  # a window
    labels[30:, 10:22] = 12  # a door-ish block of the last class
    return labels


def test_cmp_base_layout_reads_palette_pngs(tmp_path):
    base = tmp_path / "base"
    base.mkdir()
    for i in range(1, 3):
        write_image(base / f"cmp_b000{i}.jpg", RNG.integers(0, 256, (48, 32, 3), dtype=np.uint8))
        png = Image.fromarray(facade_labels(i), mode="P")
        png.putpalette(list(RNG.integers(0, 256, 768)))
        png.save(base / f"cmp_b000{i}.png")
    folder = LabelMapFolder(base, label_suffix=".png", label_offset=-1, size=(96, 64))
    images, labels = folder.take([0, 1])
    assert images.shape == (2, 96, 64, 3) and labels.shape == (2, 96, 64)
    assert set(np.unique(labels[0])) == {0, 3, 11}  # classes 1..12 shifted to 0..11
    one = LabelMapFolder(base, label_offset=-1, one_hot=True).take([1])[1]
    assert one.shape == (1, 48, 32, 12) and np.all(one.sum(-1) == 1)


def test_the_books_layout_reads_bmp_label_indices(tmp_path):
    for i in range(1, 3):
        labels = facade_labels(i) - 1
        write_image(tmp_path / f"cmp_b000{i}.jpg", np.zeros((48, 32, 3), np.uint8))
        cv2.imwrite(str(tmp_path / f"cmp_b000{i}.bmp"), labels)
    _images, labels = LabelMapFolder(tmp_path, label_suffix=".bmp", size=(24, 16)).take([0])
    assert set(np.unique(labels)) <= {0, 3, 11}


def test_labels_outside_the_classes_are_reported(tmp_path):
    write_image(tmp_path / "x.jpg", np.zeros((8, 8, 3), np.uint8))
    cv2.imwrite(str(tmp_path / "x.bmp"), np.full((8, 8), 12, np.uint8))
    with pytest.raises(Exception, match="outside 0..11"):
        LabelMapFolder(tmp_path, label_suffix=".bmp").take([0])


def test_colorize_and_one_hot_agree():
    labels = np.array([[0, 1], [2, 1]])
    palette = np.array([[0, 0, 0], [255, 0, 0], [0, 255, 0]])
    assert colorize(labels, palette)[1, 0].tolist() == [0, 255, 0]
    assert one_hot(labels, 3).argmax(-1).tolist() == labels.tolist()


def test_video_frames_are_read_in_rgb_subsampled_and_resized(tmp_path):
    path = tmp_path / "clip.avi"
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"MJPG"), 10, (64, 48))
    for i in range(10):
        frame = np.zeros((48, 64, 3), np.uint8)
        frame[..., 2] = 25 * i  # red rises (BGR order on disk)
        writer.write(frame)
    writer.release()
    frames = read_video(path, every=3, size=(24, 32))
    assert frames.shape == (4, 24, 32, 3)
    assert frames[-1, ..., 0].mean() > 200 and frames[-1, ..., 2].mean() < 20


def test_the_opencv_doc_video_opens_when_installed():
    source = get_entry("opencv-samples").local[0]
    if not (source.path / "Megamind.avi").exists():
        pytest.skip("opencv-doc is not installed")
    frames = read_video(source.path / "Megamind.avi", max_frames=3)
    assert frames.shape[0] == 3 and frames.shape[-1] == 3


def test_an_image_folder_is_read_recursively_in_sorted_order(tmp_path):
    for sub, value in (("train/male", 200), ("train/female", 100)):
        write_image(tmp_path / "celeba_hq" / sub / "1.jpg", np.full((64, 64, 3), value, np.uint8))
    source = image_folder(tmp_path / "celeba_hq", size=(16, 16), value_range=None)
    (images,) = source.take([0, 1])
    assert images.shape == (2, 16, 16, 3) and images.dtype == np.uint8
    assert abs(int(images[0].mean()) - 100) < 3  # train/female sorts first


def test_vgg19_weights_are_found_in_the_cache_and_never_downloaded(tmp_path):
    """vgg19_weights_file: None (and a message naming the fetch command) without a verified
    copy; the h5 file's path once the cache holds one that fetch recorded."""
    import json

    from igcourse.data.vgg19 import vgg19_weights_file, vgg19_weights_message

    assert vgg19_weights_file(tmp_path) is None
    assert "igcourse data fetch vgg19-notop" in vgg19_weights_message(None)
    name = get_entry("vgg19-notop").files[0].name
    folder = tmp_path / "vgg19-notop"
    folder.mkdir()
    (folder / name).write_bytes(b"h5")
    assert vgg19_weights_file(tmp_path) is None  # not verified by fetch
    record = {"files": {name: {"size": 2, "sha256": None}}}
    (folder / ".igcourse-fetch.json").write_text(json.dumps(record))
    assert vgg19_weights_file(tmp_path) == folder / name
    assert str(folder / name) in vgg19_weights_message(folder / name)
