/**
 * The frame of the pages a client opens from a link (the questionnaire, "Mijn traject"): one
 * narrow column on the page's background, the organisation's name and the language switch on top,
 * content in cards. Each page adds its own rules.
 */
export const CLIENT_PAGE_STYLES = `
  :host {
    display: block;
    min-height: 100vh;
    background: var(--km-bg);
  }
  main {
    max-width: 34rem;
    margin: 0 auto;
    padding: 1rem;
  }
  .top {
    display: flex;
    justify-content: space-between;
    align-items: center;
    gap: 0.5rem;
    margin-bottom: 0.75rem;
  }
  .org {
    font-weight: 700;
    color: var(--km-blue-dark);
    overflow-wrap: anywhere;
  }
  .card {
    background: var(--km-card);
    border-radius: var(--km-radius);
    padding: 1.25rem 1rem;
    box-shadow: 0 1px 2px rgba(0, 0, 0, 0.08);
  }
`;
