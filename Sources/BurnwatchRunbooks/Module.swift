import BurnwatchCore
import CCmarkGFM
