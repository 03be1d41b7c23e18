"""Does `igcourse data` list, locate and fetch, and turn every failure into one message?"""

import argparse
import json
import socket

import pytest

from igcourse.data.cli import add_data_parser


def run(argv, capsys):
    parser = argparse.ArgumentParser(prog="igcourse")
    add_data_parser(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    code = args.func(args)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def toy_catalog(tmp_path, monkeypatch):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    entry = {
        "title": "Toy data",
        "kind": "dataset",
        "chapters": [1],
        "homepage": "https://example.org/toy",
        "licence": "MIT",
        "manual": False,
        "layout": "toy.bin",
        "files": [
            {
                "name": "toy.bin",
                "urls": [f"http://127.0.0.1:{port}/toy.bin"],
                "size": 3,
                "sha256": None,
                "extract": None,
            }
        ],
    }
    manual = {**entry, "manual": True, "manual_reason": "It is behind a login."}
    path = tmp_path / "catalog.json"
    path.write_text(json.dumps({"toy": entry, "toy-manual": manual}))
    monkeypatch.setenv("IGCOURSE_CATALOG", str(path))
    monkeypatch.setenv("IGCOURSE_DATA_DIR", str(tmp_path / "cache"))
    return tmp_path


def test_list_shows_every_entry_of_the_real_catalog(capsys, tmp_path, monkeypatch):
    monkeypatch.setenv("IGCOURSE_DATA_DIR", str(tmp_path))
    code, out, _err = run(["data", "list"], capsys)
    assert code == 0
    for name in ("mnist", "celeba", "vgg19-notop", "dlib-landmarks-68"):
        assert name in out
    rows = {line.split()[0]: line for line in out.splitlines()}
    assert "manual download" in rows["celeba"] and "automatic download" in rows["mnist"]


def test_fetch_offline_prints_one_message_and_no_traceback(capsys, toy_catalog):
    code, out, err = run(["data", "fetch", "toy", "--quiet"], capsys)
    assert code == 1 and out == ""
    assert err.startswith("error: Could not download toy") and "Traceback" not in err
    assert str(toy_catalog / "cache" / "toy" / "toy.bin") in err


def test_fetch_of_a_manual_dataset_says_where_to_put_it(capsys, toy_catalog):
    code, _out, err = run(["data", "fetch", "toy-manual"], capsys)
    assert code == 1 and "by hand" in err and str(toy_catalog / "cache" / "toy-manual") in err


def test_fetch_of_a_file_put_in_place_warns_that_no_checksum_is_pinned(capsys, toy_catalog):
    folder = toy_catalog / "cache" / "toy"
    folder.mkdir(parents=True)
    (folder / "toy.bin").write_bytes(b"abc")
    code, out, err = run(["data", "fetch", "toy"], capsys)
    assert code == 0 and out.strip() == str(folder)
    assert err.startswith("warning: toy.bin: no checksum is pinned")
    assert run(["data", "where", "toy"], capsys)[1].strip() == str(folder)


def test_where_says_how_to_get_a_missing_dataset(capsys, toy_catalog):
    code, out, err = run(["data", "where", "toy"], capsys)
    assert code == 1 and out == "" and "igcourse data fetch toy" in err


def test_an_unknown_name_is_one_message(capsys, toy_catalog):
    code, _out, err = run(["data", "fetch", "imagenet"], capsys)
    assert code == 1 and err.startswith("error: No dataset called 'imagenet'")
