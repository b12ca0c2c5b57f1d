// On a phone the sidebar covers the page, and Streamlit leaves it open after a st.page_link navigation
// (its own menu closes it; ours is made of page links). One listener, installed once per browser tab,
// closes it after a click on a menu link when the window is narrower than Streamlit's "mobile"
// breakpoint (768 px, where the sidebar overlays the page). Constant text: nothing from data or URL.
(() => {
  const MOBILE_WIDTH = 768;
  if (document.body.dataset.closesSidebar) return;
  document.body.dataset.closesSidebar = "1";
  document.addEventListener("click", (event) => {
    const link = event.target.closest
      && event.target.closest('[data-testid="stSidebar"] a[data-testid="stPageLink-NavLink"]');
    if (!link || window.innerWidth >= MOBILE_WIDTH) return;
    setTimeout(() => {
      const close = document.querySelector('[data-testid="stSidebarCollapseButton"] button');
      if (close) close.click();
    }, 0);
  }, true);
})();
