"""The machine's shared file cache (core.cache): a key replaced, read back by any process, nothing
left behind."""

from __future__ import annotations

from django.core.cache.backends.filebased import FileBasedCache

from taizhang.core.cache import FileCache


def _cache(folder, backend=FileCache):
    return backend(str(folder), {"OPTIONS": {"MAX_ENTRIES": 5000, "CULL_FREQUENCY": 3}})


def test_a_key_written_again_holds_the_new_value_and_leaves_no_temporary_file(tmp_path):
    cache = _cache(tmp_path)
    cache.set("generation", "first")
    cache.set("generation", "second")
    cache.set_many({"generation": "third", "result": {"figures": list(range(1000))}})
    assert cache.get_many(["generation", "result"]) == {
        "generation": "third",
        "result": {"figures": list(range(1000))},
    }
    assert cache.add("generation", "fourth") is False
    assert cache.get("generation") == "third"
    assert all(path.name.endswith(".djcache") for path in tmp_path.iterdir())
    assert len(list(tmp_path.iterdir())) == 2


def test_entries_of_djangos_own_file_cache_are_read_and_ours_by_it(tmp_path):
    ours, djangos = _cache(tmp_path), _cache(tmp_path, FileBasedCache)
    djangos.set("kept-before", [1, 2, 3])
    ours.set("kept-now", "值")
    assert ours.get("kept-before") == [1, 2, 3]
    assert djangos.get("kept-now") == "值"
