"""The month's goal as a reader sees it: its figure is in a frame of its own."""


def goal_in(part):
    """The figure of the goal shown in `part` of the page (a modal, a banner, the letter)."""
    return part.frame_locator(".goal iframe").locator(".goal__text")
