"""Pose data: every exercise has believable key frames, and bad pose data is reported clearly."""

from __future__ import annotations

import copy
import math
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from backcourse import CourseDataError, load_course
from backcourse.illustrate import body_model as bm
from backcourse.illustrate import kinematics as kin
from backcourse.illustrate import poses as pd

ROOT = Path(__file__).resolve().parent.parent
POSES = ROOT / "course_data" / "poses.yaml"

# Which body parts must rest on something in the start frame, by the exercise's position:
# at least one part of each set (feet on the floor when standing, the pelvis on the chair
# when seated, and so on).
MUST_REST = {
    "supine": [{"upper_back", "head"}, {"pelvis", "lower_back"}],
    "prone": [{"pelvis", "thighs", "forearms", "upper_back"}],
    "side_lying": [{"pelvis", "left_forearm", "left_upper_arm", "right_forearm"}],
    "all_fours": [{"knees", "left_knee", "right_knee"}, {"hands", "left_hand", "right_hand"}],
    "kneeling": [{"knees", "left_knee", "right_knee"}],
    "standing": [{"feet", "left_foot", "right_foot", "heels", "right_heel", "left_heel"}],
    "seated": [{"pelvis"}],
}


@pytest.fixture(scope="module")
def course():
    return load_course()


@pytest.fixture(scope="module")
def raw():
    return yaml.safe_load(POSES.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def ids(course):
    return set(course.exercises)


def all_poses(course):
    return [course.poses[e] for e in course.exercises]


def test_every_exercise_has_poses(course):
    missing = sorted(set(course.exercises) - set(course.poses))
    assert not missing, f"exercises without poses: {missing}"
    for ep in course.poses.values():
        assert isinstance(ep, bm.ExercisePoses)
        assert ep.start.name == "start" and ep.end.name == "end"


def test_parse_is_deterministic_and_frozen(raw, ids):
    a = pd.parse_poses(raw, "poses.yaml", ids)
    b = pd.parse_poses(copy.deepcopy(raw), "poses.yaml", ids)
    assert a == b
    ep = next(iter(a.values()))
    with pytest.raises(AttributeError):
        ep.anchor = "head"  # type: ignore[misc]
    with pytest.raises(TypeError):
        ep.start.angles["lean"] = 3.0  # type: ignore[index]


def test_joint_angles_in_human_range_at_every_key_frame(course):
    for ep in all_poses(course):
        for kf in ep.frames:
            for key, value in kf.angles.items():
                joint = key.split("_", 1)[1] if key.startswith(("right_", "left_")) else key
                limit = ep.settings.limits[joint]
                assert limit.low <= value <= limit.high, f"{ep.exercise_id} {kf.name} {key}={value}"


def test_limits_are_human(course):
    """The file's limits are anatomical ranges, not a blank cheque (spot checks)."""
    limits = next(iter(course.poses.values())).settings.limits
    assert limits["knee_flexion"].low >= -10 and limits["knee_flexion"].high <= 160
    assert limits["elbow_flexion"].low >= -10 and limits["elbow_flexion"].high <= 160
    assert limits["hip_flexion"].high <= 140 and limits["hip_flexion"].low >= -40
    assert limits["lumbar_rotation"].high <= 20
    assert limits["lumbar_flexion"].low >= -40 and limits["lumbar_flexion"].high <= 70


@settings(max_examples=60, deadline=None)
@given(t=st.floats(min_value=0.0, max_value=1.0), index=st.integers(min_value=0, max_value=10_000))
def test_moving_between_frames_stays_in_range_and_above_ground(t, index):
    course = load_course()
    eps = all_poses(course)
    ep = eps[index % len(eps)]
    frame = ep.frame_at(t)
    for key, value in frame.angles.items():
        joint = key.split("_", 1)[1] if key.startswith(("right_", "left_")) else key
        limit = ep.settings.limits[joint]
        assert limit.low - 1e-6 <= value <= limit.high + 1e-6
    body = kin.place(ep, frame)
    if ep.ground is not None:
        ground = kin.surface_height(ep.ground)
        assert body.lowest() >= ground - 0.5, f"{ep.exercise_id} sinks into the {ep.ground} at {t}"


def test_resting_parts_touch_their_surfaces(course):
    """Compute the lowest point of every part a frame says rests (feet on the floor, back on
    the mat, pelvis on the chair) and check it is on that surface, within 3 cm."""
    for ep in all_poses(course):
        for kf in ep.frames:
            body = kin.place(ep, kf)
            for part, surface in kf.rests_on.items():
                height = kin.surface_height(surface)
                if surface == "water":
                    gap = body.part_high(part) - height
                else:
                    gap = body.part_low(part) - height
                assert abs(gap) <= 3.0, f"{ep.exercise_id} {kf.name}: {part} is {gap:+.1f} cm off"
            if ep.ground is not None:
                assert body.lowest() >= kin.surface_height(ep.ground) - 0.5


def test_positions_rest_where_the_exercise_says(course):
    for ex in course.exercises.values():
        ep = course.poses[ex.id]
        if "pool" in ep.props:
            continue
        rests = set(ep.start.rests_on)
        # the start frame is in one of the positions the exercise passes through
        fits = [pos for pos in ex.positions if all(rests & need for need in MUST_REST[pos])]
        assert fits, f"{ex.id} ({', '.join(ex.positions)}) start rests on {sorted(rests)}"
        if ex.position == "seated" and "chair" in ep.props:
            assert ep.start.rests_on.get("pelvis") == "chair"
        if fits == ["standing"]:
            feet = [p for p in rests if "foot" in p or "feet" in p or "heel" in p]
            assert all(ep.start.rests_on[p] == "floor" for p in feet)


def test_floor_exercises_lie_on_a_mat(course):
    for ex in course.exercises.values():
        ep = course.poses[ex.id]
        if ex.position in ("supine", "prone", "side_lying", "all_fours"):
            assert "mat" in ep.props, ex.id


def test_equipment_is_drawn(course):
    for ex in course.exercises.values():
        ep = course.poses[ex.id]
        for item in ex.equipment:
            if item in bm.PROPS:
                assert item in ep.props, f"{ex.id} needs {item} but its poses do not draw it"


def test_start_differs_from_end(course):
    for ep in all_poses(course):
        moved = max(abs(ep.start.angles[k] - ep.end.angles[k]) for k in bm.ANGLE_KEYS)
        assert moved >= 5, ep.exercise_id
        a, b = kin.place(ep, ep.start), kin.place(ep, ep.end)
        shift = max(
            math.dist(a.segments[s].point(e), b.segments[s].point(e))
            for s in bm.SEGMENTS
            for e in (0.0, 1.0)
        )
        assert shift >= 3.0, f"{ep.exercise_id}: nothing moves more than {shift:.1f} cm"


def test_head_stays_above_the_support_when_upright(course):
    """A standing or seated figure keeps its head above its pelvis (no upside-down poses)."""
    for ex in course.exercises.values():
        upright = set(ex.positions) <= {"standing", "seated"}
        if not upright or "pool" in course.poses[ex.id].props:
            continue
        for kf in course.poses[ex.id].frames:
            body = kin.place(course.poses[ex.id], kf)
            assert body.segments["head"].start[1] > body.segments["pelvis"].end[1] + 30, ex.id


def test_sequence_has_steps_and_ends_on_the_key_frames(course):
    ep = course.poses["glute_bridge"]
    seq = ep.sequence(9)
    assert len(seq) == 9
    assert dict(seq[0].angles) == dict(ep.start.angles)
    assert dict(seq[-1].angles) == dict(ep.end.angles)
    with pytest.raises(ValueError):
        ep.sequence(1)


def test_forward_kinematics_of_a_standing_body():
    body = kin.pose_segments({k: 0.0 for k in bm.ANGLE_KEYS})
    low = min(s.low() for s in body.values())
    head_top = body["head"].high()
    assert 160 <= head_top - low <= 185  # an adult of about 1.72 m
    # right limbs are on the +z side, the face points forward (+x)
    assert body["right_thigh"].start[2] > 0 > body["left_thigh"].start[2]
    assert body["head"].frame[0][0] > 0.99
    # hip flexion brings the thigh forward, knee flexion takes the shin back
    flexed = kin.pose_segments({"right_hip_flexion": 90.0, "right_knee_flexion": 90.0})
    thigh, shank = flexed["right_thigh"], flexed["right_shank"]
    assert thigh.end[0] > 40 and abs(thigh.end[1]) < 1
    assert shank.end[1] < thigh.end[1] - 40


# --------------------------------------------------------------------------- bad data


def _one(raw, ex_id="glute_bridge"):
    data = copy.deepcopy(raw)
    data["exercises"] = {ex_id: copy.deepcopy(raw["exercises"][ex_id])}
    return data


def _fails(data, ids, entry, field_part, words):
    with pytest.raises(CourseDataError) as info:
        pd.parse_poses(data, "poses.yaml", ids)
    err = info.value
    assert err.file == "poses.yaml"
    assert err.entry == entry, str(err)
    if field_part is not None:
        assert err.field is not None and field_part in err.field, str(err)
    for w in words:
        assert w in str(err), str(err)
    return err


def test_unknown_exercise(raw, ids):
    data = _one(raw)
    data["exercises"]["moonwalk"] = data["exercises"]["glute_bridge"]
    _fails(data, ids, "moonwalk", None, ["unknown exercise id", "exercises.yaml"])


def test_unknown_joint(raw, ids):
    data = _one(raw)
    data["exercises"]["glute_bridge"]["frames"][0]["joints"]["wiggle_flexion"] = 10
    _fails(data, ids, "glute_bridge", "frames.start.joints.wiggle_flexion", ["unknown joint"])


def test_unknown_side_joint(raw, ids):
    data = _one(raw)
    data["exercises"]["glute_bridge"]["frames"][0]["right"] = {"lumbar_flexion": 10}
    _fails(data, ids, "glute_bridge", "frames.start.right.lumbar_flexion", ["limb joints only"])


def test_angle_out_of_human_range(raw, ids):
    data = _one(raw)
    data["exercises"]["glute_bridge"]["frames"][1]["joints"]["knee_flexion"] = 200
    err = _fails(data, ids, "glute_bridge", "frames.end.joints.knee_flexion", ["human range"])
    assert "200" in err.problem


def test_angle_of_wrong_type(raw, ids):
    data = _one(raw)
    data["exercises"]["glute_bridge"]["frames"][0]["joints"]["hip_flexion"] = "a lot"
    _fails(data, ids, "glute_bridge", "frames.start.joints.hip_flexion", ["expected a number"])


def test_missing_start_frame(raw, ids):
    data = _one(raw)
    data["exercises"]["glute_bridge"]["frames"][0]["name"] = "begin"
    _fails(data, ids, "glute_bridge", "frames", ["start"])


def test_missing_end_frame(raw, ids):
    data = _one(raw)
    data["exercises"]["glute_bridge"]["frames"] = data["exercises"]["glute_bridge"]["frames"][:1]
    _fails(data, ids, "glute_bridge", "frames", ["end"])


def test_frames_of_wrong_type(raw, ids):
    data = _one(raw)
    data["exercises"]["glute_bridge"]["frames"] = "start then end"
    _fails(data, ids, "glute_bridge", "frames", ["expected a list"])


def test_start_equal_to_end(raw, ids):
    data = _one(raw)
    frames = data["exercises"]["glute_bridge"]["frames"]
    frames[1] = {"name": "end", "rests_on": frames[0]["rests_on"]}
    _fails(data, ids, "glute_bridge", "frames", ["differ"])


def test_unknown_body_part(raw, ids):
    data = _one(raw)
    data["exercises"]["glute_bridge"]["frames"][0]["rests_on"] = ["elbow_of_doom"]
    _fails(data, ids, "glute_bridge", "rests_on", ["unknown body part"])


def test_surface_needs_its_prop(raw, ids):
    data = _one(raw)
    data["exercises"]["glute_bridge"]["frames"][0]["rests_on"] = {"pelvis": "chair"}
    _fails(data, ids, "glute_bridge", "rests_on.pelvis", ["chair"])


def test_unknown_prop_and_view(raw, ids):
    data = _one(raw)
    data["exercises"]["glute_bridge"]["props"] = ["trampoline"]
    _fails(data, ids, "glute_bridge", "props", ["unknown prop"])
    data = _one(raw)
    data["exercises"]["glute_bridge"]["view"] = "sideways"
    _fails(data, ids, "glute_bridge", "view", ["side"])


def test_floating_feet_are_reported(raw, ids):
    """A frame whose resting parts cannot all touch (knees straightened in the air while the
    feet are said to be flat on the mat) is a data error, not a silent floating picture."""
    data = _one(raw)
    data["exercises"]["glute_bridge"]["frames"][0]["joints"]["knee_flexion"] = 20
    err = _fails(data, ids, "glute_bridge", "frames.start.rests_on", ["should rest on the mat"])
    assert "cm" in err.problem


def test_joint_limits_section(raw, ids):
    data = _one(raw)
    del data["joint_limits"]["knee_flexion"]
    _fails(data, ids, "joint_limits", "knee_flexion", ["missing"])
    data = _one(raw)
    data["joint_limits"]["knee_flexion"] = [150, 0]
    _fails(data, ids, "joint_limits", "knee_flexion", ["low < high"])


def test_muscle_region_errors(raw, ids):
    data = _one(raw)
    data["muscle_regions"]["hamstrings"] = {"segment": "tail", "surface": "back"}
    _fails(data, ids, "muscle_regions.hamstrings", "segment", ["thigh"])
    data = _one(raw)
    data["muscle_regions"]["hamstrings"] = {
        "segment": "thigh",
        "surface": "back",
        "span": [0.8, 0.2],
    }
    _fails(data, ids, "muscle_regions.hamstrings", "span", ["from < to"])


def test_top_level_must_be_a_mapping(ids):
    with pytest.raises(CourseDataError) as info:
        pd.parse_poses(["not", "a", "mapping"], "poses.yaml", ids)
    assert info.value.file == "poses.yaml"


def test_a_trainers_new_exercise_needs_only_a_few_lines(raw):
    """Joints left out keep their previous value; a list of resting parts means the mat."""
    data = copy.deepcopy(raw)
    data["exercises"] = {
        "my_bridge": {
            "props": ["mat"],
            "frames": [
                {"name": "start", "joints": {"lean": -90}, "rests_on": ["upper_back", "pelvis"]},
                {"name": "end", "joints": {"hip_flexion": 60}},
            ],
        }
    }
    poses = pd.parse_poses(data, "poses.yaml", {"my_bridge"})
    ep = poses["my_bridge"]
    assert ep.end.angles["lean"] == -90 and ep.end.angles["right_hip_flexion"] == 60
    assert ep.end.rests_on == ep.start.rests_on
    assert ep.anchor == "upper_back" and ep.ground == "mat"


def test_loader_reports_pose_errors(data_copy):
    """The course loader passes pose problems through with file, entry and field."""
    text = (data_copy / "poses.yaml").read_text(encoding="utf-8")
    (data_copy / "poses.yaml").write_text(
        text.replace("knee_flexion: [0, 150]", "knee_flexion: [0, 20]"), encoding="utf-8"
    )
    with pytest.raises(CourseDataError) as info:
        load_course(data_copy)
    assert info.value.file == "poses.yaml"
    assert "knee_flexion" in str(info.value)


def test_the_anchor_stays_put(course):
    """The anchor (the part that does not move between frames) rests in every key frame, so
    the figure does not slide; floating or walking figures anchor on the pelvis."""
    for ep in all_poses(course):
        if ep.anchor == "pelvis" and not all("pelvis" in kf.rests_on for kf in ep.frames):
            continue
        for kf in ep.frames:
            resting = {end for part in kf.rests_on for end in bm.PARTS[part]}
            assert set(bm.PARTS[ep.anchor]) <= resting, f"{ep.exercise_id}: {ep.anchor} lifts"
