"""Everything that draws the body: pose data, kinematics, exercise pictures, anatomy.

Data (standard library only, so loading the course never imports matplotlib):

================  =========================================================================
body_model        joints, segments, body parts, props, views; the parsed poses' dataclasses
poses             reads and checks ``course_data/poses.yaml`` (key frames per exercise)
kinematics        joint angles -> body segments in space, placed on floor, mat or chair
anatomy_shapes    reads and checks ``course_data/anatomy.yaml`` (anatomy outlines)
================  =========================================================================

Drawing (matplotlib, in the house style of :mod:`backcourse.figures.style`):

=================  ========================================================================
projection         the camera of a view; a body segment's outline in the picture
scene              an exercise's bodies and props placed once; floor, mat, chair, bike, pool
body               one posed body: silhouettes far to near, target muscles highlighted
exercise_pictures  ``exercise_figure``, ``exercise_frames``, ``loop_frames``,
                   ``sequence_figure``: the public exercise pictures
muscle_map         ``muscle_figure``: the course's muscles, front and back
spine_view         ``spine_figure``: the lower back from the side
anatomy_layout     rounded outlines and label placement shared by the anatomy figures
anatomy_figures    the anatomy figures' public names, in one place to import from
colours            the pictures' own colours (bone, skin, props) and ``mix``
bundled            exercise pictures drawn ahead of time (``make pictures``), shipped in
                   ``pictures/`` with their resolution ``PICTURE_DPI``
=================  ========================================================================

Nothing is imported here, so ``import backcourse.illustrate.poses`` stays light.
"""
