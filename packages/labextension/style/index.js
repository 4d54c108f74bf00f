import './base.css';
import './history.css';
import './discovery.css';
import './links.css';
import './comments.css';
import './secrets.css';
