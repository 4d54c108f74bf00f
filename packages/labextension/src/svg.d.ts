/** The builder inlines SVG files as strings, which LabIcon takes as its source. */
declare module '*.svg' {
  const svgstr: string;
  export default svgstr;
}
