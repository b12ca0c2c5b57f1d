"""Présentation: general-assembly mode, full-screen slides of the selected territory, and the deck to download."""

from observatoire import deck, presentation, show, ui

ctx = ui.page("Présentation")
available = ui.deck_slides(ctx)
chosen = presentation.chosen(ctx, available)
if presentation.is_full_screen() and chosen:
    presentation.show(chosen)
else:
    deck.warm_up()  # the image engine starts while the presenter chooses the slides
    chosen = presentation.settings(ctx, available)
    show.export_buttons(chosen, ctx, key="presentation", cover=False)
