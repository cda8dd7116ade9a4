from wagtail import hooks

from .choosers import author_chooser_viewset


@hooks.register("register_admin_viewset")
def register_author_chooser():
    return author_chooser_viewset
