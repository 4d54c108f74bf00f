import { LabIcon } from '@jupyterlab/ui-components';
import gallerySvgstr from '../../style/icons/gallery.svg';

/** The gallery's icon, shared by the sidebar tab, the toolbar button and the menus. */
export const galleryIcon = new LabIcon({
  name: 'notebook-gallery:gallery',
  svgstr: gallerySvgstr
});
