"""Qualité CEDRE: certified members, the year's certifications, engagements, next year's objective."""

from observatoire import blocks, content_blocks, network_blocks, show, ui

ctx = ui.page("Qualité CEDRE")
shown = [show.block(ui.block(network_blocks.tiles, ctx, block_id="qualite-chiffres"), ctx, key="cedre_tiles"),
         show.block(ui.block(content_blocks.iso_objective, ctx), ctx, key="cedre_objective"),
         show.block(ui.block(blocks.cedre, ctx), ctx, key="cedre")]
shown.append(show.block(ui.block(blocks.new_certified_map, ctx), ctx, key="new_iso_map", selects_territory=True,
                        height=480))
show.block(ui.block(blocks.new_certified, ctx), ctx, key="new_certified")
shown.append(show.block(ui.block(blocks.cedre_engagements, ctx), ctx, key="engagements"))
shown.append(show.block(ui.block(content_blocks.certified_by_label, ctx), ctx, key="certified_by_label"))

show.published_figures(ctx, ("cedre",), key="cedre")

show.export_buttons(shown, ctx, key="cedre", name="qualite-cedre")
