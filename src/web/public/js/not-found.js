// The page for an address with no page: only the header's case lookup and sign-out to wire.
import { wireHeader } from './nav.js';

wireHeader();
