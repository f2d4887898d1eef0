"""Everything that draws the body: pose data, kinematics, exercise pictures, anatomy.

Nothing is imported here, so ``import backcourse.illustrate.poses`` (which loading the course
needs) never pulls in matplotlib.
"""
