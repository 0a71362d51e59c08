import BurnwatchUI
import CNCursesW
