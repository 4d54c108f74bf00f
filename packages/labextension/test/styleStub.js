// Style sheets and SVG icons are loaded by webpack in the real extension; in jsdom an icon is an empty SVG.
module.exports = '<svg xmlns="http://www.w3.org/2000/svg"></svg>';
