"""Is the catalog complete, are its checksums well-formed, and do installed local sources exist?"""

import copy
import json

import pytest

from igcourse.data.catalog import CATALOG_PATH, check_catalog, get_entry, load_catalog
from igcourse.data.errors import UnknownDataset

# What the book uses (issue 4, item 1).
BOOK_ENTRIES = {
    "mnist",
    "fashion-mnist",
    "celeba",
    "celeba-hq",
    "facades",
    "cmp-facades",
    "horse2zebra",
    "edges2shoes",
    "vangogh2photo",
    "cifar-10",
    "vgg19-notop",
    "dlib-landmarks-68",
    "opencv-samples",
}


def raw_catalog():
    return json.loads(CATALOG_PATH.read_text())


def test_every_entry_is_complete():
    assert check_catalog(raw_catalog()) == []


def test_every_dataset_and_network_of_the_book_has_an_entry():
    assert BOOK_ENTRIES <= set(load_catalog())


def test_celeba_is_manual_and_names_its_three_parts():
    celeba = get_entry("celeba")
    assert celeba.manual and "Google Drive" in celeba.manual_reason
    names = {f.name for f in celeba.files}
    assert names == {"img_align_celeba.zip", "list_attr_celeba.txt", "list_eval_partition.txt"}


def test_checksums_pinned_where_a_public_source_states_them():
    catalog = load_catalog()
    for name in ("mnist", "fashion-mnist", "cifar-10", "horse2zebra", "dlib-landmarks-68"):
        assert all(f.sha256 for f in catalog[name].files), name
    assert catalog["vgg19-notop"].files[0].md5 == "253f8cb515780f3b799900260a226db6"


def test_the_debian_packages_are_the_local_sources():
    catalog = load_catalog()
    packages = {s.package: name for name, e in catalog.items() for s in e.local}
    assert packages == {
        "dataset-fashion-mnist": "fashion-mnist",
        "libdlib-data": "dlib-landmarks-68",
        "opencv-doc": "opencv-samples",
    }


def test_every_installed_local_source_exists_with_its_files():
    for entry in load_catalog().values():
        for source in entry.local:
            if not source.installed():
                continue
            assert source.path.is_dir(), source.path
            for spec in entry.files:
                assert (source.path / spec.local_name).exists(), (entry.name, spec.local_name)


def test_the_debian_dlib_model_is_the_pinned_file():
    entry = get_entry("dlib-landmarks-68")
    source = entry.local[0]
    if not source.installed():
        pytest.skip("libdlib-data is not installed")
    spec = entry.files[0]
    assert (source.path / spec.unpacked_name).stat().st_size == spec.unpacked_size


@pytest.mark.parametrize(
    "change, problem",
    [
        (lambda e: e.pop("licence"), "missing 'licence'"),
        (lambda e: e["files"][0].update(sha256="abc"), "sha256 must be 64"),
        (lambda e: e["files"][0].update(urls=[]), "urls must be"),
        (lambda e: e["files"][0].pop("checksum_source"), "needs its checksum_source"),
        (lambda e: e.update(manual=True), "needs a manual_reason"),
        (lambda e: e["files"][0].update(extract="rar"), "extract must be"),
    ],
)
def test_an_incomplete_entry_is_reported(change, problem):
    raw = copy.deepcopy(raw_catalog())
    change(raw["mnist"])
    problems = check_catalog(raw)
    assert any(problem in p and p.startswith("mnist") for p in problems), problems


def test_an_unknown_name_lists_the_known_ones():
    with pytest.raises(UnknownDataset, match="Known: .*fashion-mnist"):
        get_entry("imagenet")
