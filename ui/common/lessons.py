"""A one-click lesson: a name, the sentence that says what to look for, and the settings it sets."""
import dataclasses


@dataclasses.dataclass(frozen=True)
class Lesson:
    """`settings` are fields of `base` (a state dataclass); `state()` is the lesson's whole state."""

    name: str
    lesson: str
    base: type
    settings: dict

    def state(self, large=0):
        """The state of this lesson, keeping the projector setting."""
        fields = {f.name for f in dataclasses.fields(self.base)}
        named = {"preset": self.name} if "preset" in fields else {}
        return dataclasses.replace(self.base(), large=large, **named, **self.settings)


OWN = "own"  # a state's preset once "(your own settings)" was picked: no lesson, even if the settings are one's


def matching(lessons, state, names):
    """The name of the lesson whose settings `names` the state has ("" if none, or once the student
    picked their own settings: state.preset == OWN)."""
    if state.preset == OWN:
        return ""
    mine = {name: getattr(state, name) for name in names}
    return next((lesson.name for lesson in lessons
                 if {name: getattr(lesson.state(), name) for name in names} == mine), "")
