"""Renderers of the deck: layout of slides as boxes, images of figures, PowerPoint and PDF writers."""
