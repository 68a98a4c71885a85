from storyline.cluster.split import trimmed, two_way_cut


def test_two_way_cut_finds_two_groups_and_no_cut_in_one():
    two_groups = [[0.0 if i == j else (0.9 if (i < 3) == (j < 3) else 0.05) for j in range(6)] for i in range(6)]
    score, side, other = two_way_cut(two_groups, min_part=3)
    assert sorted([side, other]) == [[0, 1, 2], [3, 4, 5]] and score < 0.2
    one_group = [[0.0 if i == j else 0.9 for j in range(6)] for i in range(6)]
    assert two_way_cut(one_group, min_part=3)[0] > 0.9
    assert two_way_cut(one_group, min_part=4) is None  # too few members for two parts of four


def test_a_member_keeps_its_heaviest_terms():
    kept = trimmed([{"a": 0.9, "b": 0.1, "c": 0.5}, {"x": 1.0}], terms=2)
    assert kept == [{"a": 0.9, "c": 0.5}, {"x": 1.0}]
