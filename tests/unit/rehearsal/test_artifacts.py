from rehearsal.artifacts import Artifacts


def test_names_stay_inside_the_folder_and_never_overwrite(tmp_path):
    files = Artifacts()
    first = files.add("uploads/Anna Berg/../../etc/passwd", b"a")
    second = files.add("uploads/Anna Berg/../../etc/passwd", b"b")
    assert first == "uploads/Anna_Berg/fil/fil/etc/passwd"
    assert second == "uploads/Anna_Berg/fil/fil/etc/passwd-2"
    written = files.write(tmp_path)
    assert all(tmp_path in path.parents for path in written)
    assert sorted(p.read_bytes() for p in written) == [b"a", b"b"]
