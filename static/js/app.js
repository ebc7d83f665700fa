// Small progressive enhancements; every page works without them.
// No select acts on change (WCAG 3.2.2): a choice takes effect with its form's button.
