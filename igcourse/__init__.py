"""Engine of the course "Hands-On Image Generation with TensorFlow 2".

It builds student releases from master notebooks, loads data, runs checks and grades.
"""

__version__ = "0.1.0"
