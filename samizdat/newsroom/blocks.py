"""The building blocks of an article body."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.images.blocks import ImageChooserBlock


class QuoteBlock(blocks.StructBlock):
    text = blocks.TextBlock(label=_("Quote"))
    attribution = blocks.CharBlock(required=False, label=_("Attribution"))

    class Meta:
        icon = "openquote"
        template = "newsroom/blocks/quote.html"


class InlineImageBlock(blocks.StructBlock):
    image = ImageChooserBlock()
    caption = blocks.CharBlock(
        required=False,
        help_text=_("Leave empty to use the caption stored with the photo."),
    )

    class Meta:
        icon = "image"
        template = "newsroom/blocks/image.html"


class LinkCardBlock(blocks.StructBlock):
    """An embed shown as a plain link card: readers' browsers never contact the other site."""

    url = blocks.URLBlock(label=_("Link"))
    title = blocks.CharBlock(label=_("Title"))
    source = blocks.CharBlock(required=False, label=_("Source"), help_text=_("e.g. Video, Podcast"))
    description = blocks.TextBlock(required=False, label=_("Description"))

    class Meta:
        icon = "link"
        template = "newsroom/blocks/link_card.html"


class ArticleBodyBlock(blocks.StreamBlock):
    paragraph = blocks.RichTextBlock(
        features=["bold", "italic", "link", "ol", "ul"], label=_("Paragraph")
    )
    subhead = blocks.CharBlock(
        label=_("Subhead"), form_classname="title", template="newsroom/blocks/subhead.html"
    )
    quote = QuoteBlock(label=_("Pull quote"))
    image = InlineImageBlock(label=_("Image"))
    embed = LinkCardBlock(label=_("Embed (link card)"))
