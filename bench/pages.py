"""The pages the benchmark measures, with the URL path Streamlit serves each one at."""

PAGES = {
    "Vue d'ensemble": ("app.py", ""),
    "Adhérents": ("pages/1_adherents.py", "adherents"),
    "Financements": ("pages/2_financements.py", "financements"),
    "Qualité CEDRE": ("pages/3_qualite_cedre.py", "qualite_cedre"),
    "Innovation": ("pages/4_innovation.py", "innovation"),
    "Utilité sociale": ("pages/5_utilite_sociale.py", "utilite_sociale"),
    "Mon territoire": ("pages/6_mon_territoire.py", "mon_territoire"),
    "Sources et données": ("pages/7_sources.py", "sources"),
}
TERRITORY = "fed-midi-pyrenees"
