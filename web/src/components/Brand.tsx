// The logo and the product's name, on the sidebar and the sign-in page.
export function Brand() {
  return (
    <div className="brand">
      <svg viewBox="0 0 32 32" width="24" height="24" aria-hidden="true">
        <rect width="32" height="32" rx="6" fill="#0072B2" />
        <rect x="7" y="17" width="4" height="8" rx="1" fill="#fff" />
        <rect x="14" y="11" width="4" height="14" rx="1" fill="#fff" />
        <rect x="21" y="6" width="4" height="19" rx="1" fill="#E69F00" />
      </svg>
      <span>ccanalytics</span>
    </div>
  );
}
